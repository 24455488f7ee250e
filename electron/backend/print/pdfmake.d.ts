// pdfmake 0.3 ships no types (and @types/pdfmake pulls the DOM library in): render-pdf.ts types what it uses.
declare module 'pdfmake';
declare module 'pdfmake/fonts/Roboto.js';
