/** A person's age on a day, as the family file shows it ("8 ans", "18 mois"). */

/** Whole years between `birthDate` and `onDay` (both 'YYYY-MM-DD'); null when unknown or not born yet. */
export function ageInYears(birthDate: string | null, onDay: string): number | null {
  const months = ageInMonths(birthDate, onDay);
  return months === null ? null : Math.floor(months / 12);
}

/** Whole months between `birthDate` and `onDay`; null when unknown or not born yet. */
export function ageInMonths(birthDate: string | null, onDay: string): number | null {
  if (!birthDate) return null;
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = onDay.split('-').map(Number);
  if ([by, bm, bd, ty, tm, td].some((n) => n === undefined || Number.isNaN(n))) return null;
  let months = (ty! - by!) * 12 + (tm! - bm!);
  if (td! < bd!) months -= 1;
  return months < 0 ? null : months;
}

/** "8 ans", "1 an", "18 mois", "3 mois"; '' when unknown. */
export function formatAge(birthDate: string | null, onDay: string): string {
  const months = ageInMonths(birthDate, onDay);
  if (months === null) return '';
  if (months < 24) return `${months} mois`;
  const years = Math.floor(months / 12);
  return `${years} an${years > 1 ? 's' : ''}`;
}
