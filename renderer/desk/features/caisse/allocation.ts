// How a payment taken at the counter is spread over the family's open invoices: oldest first by default,
// editable by the agent; what is left over is the family's credit. Integer cents only.

export interface OpenInvoice {
  id: string;
  number: string;
  label: string;
  leftCents: number;
}

/** Allocation per invoice id (cents), oldest invoice first until the amount runs out. */
export function oldestFirst(invoices: readonly OpenInvoice[], amountCents: number): Record<string, number> {
  const result: Record<string, number> = {};
  let left = Math.max(0, amountCents);
  for (const invoice of invoices) {
    const share = Math.min(left, invoice.leftCents);
    result[invoice.id] = share;
    left -= share;
  }
  return result;
}

export interface AllocationCheck {
  allocatedCents: number;
  /** What goes to the family's credit (amount − allocated, never negative). */
  creditCents: number;
  /** What the open invoices will still owe after this payment. */
  stillOwedCents: number;
  /** Invoice ids whose allocation is above what they owe. */
  tooHigh: string[];
  /** The allocations add up to more than the amount received. */
  exceedsAmount: boolean;
}

export function checkAllocation(
  invoices: readonly OpenInvoice[],
  amountCents: number,
  allocation: Readonly<Record<string, number>>,
): AllocationCheck {
  let allocatedCents = 0;
  let stillOwedCents = 0;
  const tooHigh: string[] = [];
  for (const invoice of invoices) {
    const cents = allocation[invoice.id] ?? 0;
    allocatedCents += cents;
    if (cents > invoice.leftCents) tooHigh.push(invoice.id);
    stillOwedCents += Math.max(0, invoice.leftCents - cents);
  }
  return {
    allocatedCents,
    creditCents: Math.max(0, amountCents - allocatedCents),
    stillOwedCents,
    tooHigh,
    exceedsAmount: allocatedCents > amountCents,
  };
}

/** The allocations to send with `payment/record`: positive amounts only, in invoice order. */
export function allocationsToSend(
  invoices: readonly OpenInvoice[],
  allocation: Readonly<Record<string, number>>,
): { invoiceId: string; amountCents: number }[] {
  return invoices
    .map((invoice) => ({ invoiceId: invoice.id, amountCents: allocation[invoice.id] ?? 0 }))
    .filter((a) => a.amountCents > 0);
}
