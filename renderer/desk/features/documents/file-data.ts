// Files in the renderer: bytes ↔ base64 (the contract carries files as base64, ≤ 3 200 Ko each) and object URLs
// for previews (PDF in an iframe, images).

/** A File (picker, drag-and-drop) as base64. */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

export function base64ToBlob(base64: string, contentType: string): Blob {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type: contentType });
}

export type PreviewKind = 'pdf' | 'image' | 'none';

/** What the desk can show in place: PDFs (iframe) and PNG / JPG / BMP images. */
export function previewKind(contentType: string): PreviewKind {
  if (contentType === 'application/pdf') return 'pdf';
  if (/^image\/(png|jpeg|bmp)$/.test(contentType)) return 'image';
  return 'none';
}

/** "1,2 Mo" / "350 Ko". */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024)
    return `${(bytes / 1024 / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
  return `${Math.max(1, Math.ceil(bytes / 1024)).toLocaleString('fr-FR')} Ko`;
}
