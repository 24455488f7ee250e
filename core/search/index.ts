// Search keys: accent- and case-insensitive normalisation shared by the db index and the UI.
export * from './normalize';
