// Validation of French form fields (names, postcode, phone, e-mail, IBAN/BIC, password): functions and zod schemas.
export * from './french';
