// Display helpers shared by the desk and the portal (French formats).
const dayFormatter = new Intl.DateTimeFormat('fr-FR', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  timeZone: 'Europe/Paris',
});
const longDayFormatter = new Intl.DateTimeFormat('fr-FR', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/Paris',
});
const timeFormatter = new Intl.DateTimeFormat('fr-FR', {
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Paris',
});

/** `2026-11-22` → `22/11/2026` (a calendar day, no time zone shift). */
export function formatDay(day: string): string {
  return dayFormatter.format(new Date(`${day}T12:00:00Z`));
}

/** `2026-11-22` → `dimanche 22 novembre 2026`. */
export function formatLongDay(day: string): string {
  return longDayFormatter.format(new Date(`${day}T12:00:00Z`));
}

/** ISO instant → `22/11/2026 à 14:14` in Paris time. */
export function formatInstant(iso: string): string {
  const date = new Date(iso);
  return `${dayFormatter.format(date)} à ${timeFormatter.format(date)}`;
}
