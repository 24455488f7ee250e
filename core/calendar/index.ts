// Calendar rules in Europe/Paris: days and instants, jours fériés, school years and holidays.
export * from './paris';
export * from './public-holidays';
export * from './school-year';
