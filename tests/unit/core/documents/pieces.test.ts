import { describe, expect, it } from 'vitest';
import {
  PIECE_MAX_FILE_BYTES,
  checkPieceFile,
  checkPieceFiles,
  missingPieces,
  pieceValidity,
  requiredPieces,
} from '../../../../core/documents/pieces';
import { DomainError } from '../../../../core/errors';

const pdf = { ext: 'pdf', mime: 'application/pdf' };

function refusal(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('checking the files of a piece', () => {
  it('accepts the seven formats by content and stores old Word files as application/msword', () => {
    expect(checkPieceFile({ name: 'a.pdf', size: 10, detected: pdf })).toEqual({
      contentType: 'application/pdf',
    });
    expect(
      checkPieceFile({ name: 'a.bmp', size: 10, detected: { ext: 'bmp', mime: 'image/bmp' } }).contentType,
    ).toBe('image/bmp');
    expect(
      checkPieceFile({ name: 'lettre.doc', size: 10, detected: { ext: 'cfb', mime: 'application/x-cfb' } })
        .contentType,
    ).toBe('application/msword');
  });

  it('refuses by content whatever the name: a program named .pdf, an OLE file not named .doc, an unknown format', () => {
    expect(
      refusal(() =>
        checkPieceFile({
          name: 'x.pdf',
          size: 10,
          detected: { ext: 'exe', mime: 'application/x-msdownload' },
        }),
      ).code,
    ).toBe('FILE_TYPE_REFUSED');
    expect(
      refusal(() =>
        checkPieceFile({ name: 'x.xls', size: 10, detected: { ext: 'cfb', mime: 'application/x-cfb' } }),
      ).code,
    ).toBe('FILE_TYPE_REFUSED');
    expect(refusal(() => checkPieceFile({ name: 'x.txt', size: 10, detected: null })).message).toContain(
      'n’est reconnu comme aucun format',
    );
  });

  it('takes 3 200 Ko but not one byte more, and 4 files but not 5', () => {
    expect(checkPieceFile({ name: 'a.pdf', size: PIECE_MAX_FILE_BYTES, detected: pdf }).contentType).toBe(
      'application/pdf',
    );
    expect(
      refusal(() => checkPieceFile({ name: 'a.pdf', size: PIECE_MAX_FILE_BYTES + 1, detected: pdf })),
    ).toEqual({
      code: 'FILE_TOO_LARGE',
      message: '« a.pdf » pèse 3 201 Ko : un fichier ne peut pas dépasser 3 200 Ko.',
    });
    const file = { name: 'a.pdf', size: 10, detected: pdf };
    expect(checkPieceFiles([file, file, file, file])).toHaveLength(4);
    expect(refusal(() => checkPieceFiles([file, file, file, file, file])).code).toBe('TOO_MANY_FILES');
    expect(refusal(() => checkPieceFiles([])).code).toBe('FILES_REQUIRED');
    expect(refusal(() => checkPieceFile({ name: 'vide.pdf', size: 0, detected: null })).code).toBe(
      'FILE_EMPTY',
    );
  });
});

describe('validity and missing pieces', () => {
  it('flags a piece ending within 30 days, and an ended one', () => {
    expect(pieceValidity(null, '2026-03-01')).toBe('sans_limite');
    expect(pieceValidity('2026-02-28', '2026-03-01')).toBe('expiree');
    expect(pieceValidity('2026-03-01', '2026-03-01')).toBe('expire_bientot');
    expect(pieceValidity('2026-03-31', '2026-03-01')).toBe('expire_bientot');
    expect(pieceValidity('2026-04-01', '2026-03-01')).toBe('valide');
  });

  it('asks a family piece once and a child piece per child; an expired piece does not cover', () => {
    const required = requiredPieces([
      { personId: 'lea', activity: 'ALSH Mercredis', qualifications: ['attestation_caf', 'vaccinations'] },
      { personId: 'tom', activity: 'ALSH Mercredis', qualifications: ['attestation_caf', 'vaccinations'] },
      { personId: 'tom', activity: 'Restauration', qualifications: ['attestation_caf'] },
    ]);
    expect(required).toEqual([
      { qualification: 'attestation_caf', personId: null, activities: ['ALSH Mercredis', 'Restauration'] },
      { qualification: 'vaccinations', personId: 'lea', activities: ['ALSH Mercredis'] },
      { qualification: 'vaccinations', personId: 'tom', activities: ['ALSH Mercredis'] },
    ]);
    const missing = missingPieces(
      required,
      [
        { qualification: 'attestation_caf', personId: null, validUntil: '2026-12-31' },
        { qualification: 'vaccinations', personId: 'lea', validUntil: null },
        { qualification: 'vaccinations', personId: 'tom', validUntil: '2026-01-01' },
      ],
      '2026-03-01',
    );
    expect(missing.map((m) => `${m.qualification}|${m.personId}`)).toEqual(['vaccinations|tom']);
  });
});
