// The family file as the desk shows it: replica rows (db/repositories/family-file.ts) turned into the contract's
// FamilyFileDto, with ages, formatted phones, French labels, the pieces' state and the flags.
import { formatAge } from '../../../core/family/age';
import { isProvisionalFamilyCode } from '../../../core/family/codes';
import { familyFlags } from '../../../core/family/flags';
import {
  AUTHORISATION_LABELS,
  HEALTH_NOTE_LABELS,
  INSCRIPTION_STATUS_LABELS,
  MAIN_AUTHORISATIONS,
  QF_SOURCE_LABELS,
  addressLines,
} from '../../../core/family/labels';
import { qfOn } from '../../../core/family/qf';
import {
  missingPieces,
  pieceValidity,
  qualificationLabel,
  requiredPieces,
} from '../../../core/documents/pieces';
import { formatPhone } from '../../../core/validation/phone';
import type { FamilyFileData } from '../../../db/repositories/family-file';
import type { HouseholdMember } from '../../../db/repositories/households';
import { displayName } from '../../../db/repositories/households';
import type { Row } from '../../../db/schema';
import type {
  AuthorisationDto,
  ChildDto,
  FamilyFileDto,
  FamilyPersonDto,
  HealthNoteDto,
  PhoneDto,
  QfDto,
} from '../../contract/family';

function phone(e164: string | null): PhoneDto | null {
  return e164 ? { e164, display: formatPhone(e164) } : null;
}

function personDto(member: HouseholdMember, today: string): FamilyPersonDto {
  const p = member.person;
  const own = addressLines({ ...p, country: p.country });
  return {
    id: p.id,
    role: member.role,
    relationship: member.relationship,
    canPickUp: member.canPickUp,
    emergencyContact: member.emergencyContact,
    displayName: displayName(p),
    civility: p.civility,
    usageLastName: p.usage_last_name,
    birthLastName: p.birth_last_name,
    firstNames: p.first_names,
    birthDate: p.birth_date,
    age: formatAge(p.birth_date, today),
    birthCountry: p.birth_country,
    birthDepartment: p.birth_department,
    birthCommune: p.birth_commune,
    sex: p.sex,
    phone: phone(p.phone),
    mobile: phone(p.mobile),
    employerPhone: phone(p.employer_phone),
    email: p.email,
    preferredContact: p.preferred_contact,
    ownAddress: p.voie || p.postcode || p.city ? own : null,
    numero: p.numero,
    voie: p.voie,
    batiment: p.batiment,
    appartement: p.appartement,
    complement: p.complement,
    postcode: p.postcode,
    city: p.city,
    country: p.country,
    schoolName: p.school_name,
    schoolLevel: p.school_level,
    classLevel: p.class_level,
    doctorName: p.doctor_name,
    doctorPhone: phone(p.doctor_phone),
  };
}

function authorisationDtos(rows: readonly Row<'authorisations'>[]): AuthorisationDto[] {
  const dto = (r: Row<'authorisations'>): AuthorisationDto => ({
    id: r.id,
    kind: r.kind,
    label: AUTHORISATION_LABELS[r.kind],
    granted: r.granted === 1,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    details: r.details,
  });
  const main = MAIN_AUTHORISATIONS.map((kind) => {
    const row = rows.find((r) => r.kind === kind);
    return row
      ? dto(row)
      : {
          id: null,
          kind,
          label: AUTHORISATION_LABELS[kind],
          granted: false,
          validFrom: null,
          validTo: null,
          details: null,
        };
  });
  const others = rows.filter((r) => !MAIN_AUTHORISATIONS.includes(r.kind)).map(dto);
  return [...main, ...others];
}

function healthDto(row: Row<'health_notes'>): HealthNoteDto {
  return {
    id: row.id,
    kind: row.kind,
    kindLabel: HEALTH_NOTE_LABELS[row.kind],
    label: row.label,
    details: row.details,
  };
}

function qfDto(row: Row<'qf_records'>, currentId: string | null): QfDto {
  return {
    id: row.id,
    value: row.value,
    source: row.source,
    sourceLabel: QF_SOURCE_LABELS[row.source],
    validFrom: row.valid_from,
    validTo: row.valid_to,
    current: row.id === currentId,
  };
}

const usual = (firstNames: string): string => firstNames.trim().split(/\s+/)[0] ?? firstNames;

export function familyFileDto(data: FamilyFileData, today: string, pendingOps: number): FamilyFileDto {
  const h = data.household;
  const byId = new Map(data.members.map((m) => [m.person.id, m]));
  const titulaire = data.members.find((m) => m.role === 'titulaire');
  const coTitulaire = data.members.find((m) => m.role === 'co_titulaire');
  const children: ChildDto[] = data.children.map((child) => ({
    ...personDto(child, today),
    healthNotes: child.healthNotes.map(healthDto),
    authorisations: authorisationDtos(child.authorisations),
    parents: child.relations.map((r) => {
      const adult = byId.get(r.related_person_id);
      return {
        personId: r.related_person_id,
        name: adult ? displayName(adult.person) : '—',
        relation: r.relation,
        parentalAuthority: r.parental_authority === 1,
      };
    }),
  }));
  const current = qfOn(
    data.qfHistory.map((r) => ({ ...r, validFrom: r.valid_from, validTo: r.valid_to })),
    today,
  );
  const childName = new Map(data.children.map((c) => [c.person.id, usual(c.person.first_names)]));

  const asks = data.inscriptions
    .filter((i) => i.status !== 'refusee' && i.endDay >= today)
    .map((i) => ({
      personId: i.personId,
      activity: i.activityName,
      qualifications: JSON.parse(i.activityRequiredDocumentsJson) as string[],
    }));
  const missing = missingPieces(requiredPieces(asks), data.pieces, today).map((m) => {
    const who = m.personId ? childName.get(m.personId) : null;
    return who ? `${qualificationLabel(m.qualification)} — ${who}` : qualificationLabel(m.qualification);
  });
  const validity = data.pieces.map((p) => pieceValidity(p.validUntil, today));
  const documents = {
    total: data.pieces.length,
    expired: validity.filter((v) => v === 'expiree').length,
    expiringSoon: validity.filter((v) => v === 'expire_bientot').length,
    missing,
  };
  const balanceCents = data.money.openCents - data.money.creditCents;
  const keyDetails = data.lastAccessKey?.details;

  const file: Omit<FamilyFileDto, 'flags'> = {
    id: h.id,
    code: h.code,
    codeProvisional: isProvisionalFamilyCode(h.code),
    pendingOps,
    createdAt: h.created_at,
    updatedAt: h.updated_at,
    household: {
      numero: h.numero,
      voie: h.voie,
      batiment: h.batiment,
      appartement: h.appartement,
      complement: h.complement,
      postcode: h.postcode,
      city: h.city,
      country: h.country,
      residency: h.residency,
      paperlessInvoices: h.paperless_invoices === 1,
      familySituation: h.family_situation,
      cafNumber: h.caf_number,
      notes: h.notes,
      address: addressLines(h),
    },
    titulaire: titulaire ? personDto(titulaire, today) : null,
    coTitulaire: coTitulaire ? personDto(coTitulaire, today) : null,
    children,
    entourage: data.members.filter((m) => m.role === 'entourage').map((m) => personDto(m, today)),
    qf: {
      current: current ? qfDto(current, current.id) : null,
      history: data.qfHistory.map((r) => qfDto(r, current?.id ?? null)),
    },
    inscriptions: data.inscriptions.map((i) => ({
      id: i.id,
      personId: i.personId,
      childName: childName.get(i.personId) ?? '—',
      activity: i.activityName,
      site: i.siteName,
      period: i.periodLabel,
      startDay: i.startDay,
      endDay: i.endDay,
      status: i.status,
      statusLabel: INSCRIPTION_STATUS_LABELS[i.status],
      past: i.endDay < today,
    })),
    balance: { ...data.money, balanceCents },
    documents,
    demandes: data.demandes,
    messages: data.messages,
    webAccount: data.webAccount,
    lastAccessKey:
      data.lastAccessKey && typeof keyDetails?.keyHint === 'string'
        ? {
            issuedAt: data.lastAccessKey.at,
            keyHint: keyDetails.keyHint,
            expiresAt: typeof keyDetails.expiresAt === 'string' ? keyDetails.expiresAt : null,
          }
        : null,
  };
  const flags = familyFlags({
    codeProvisional: file.codeProvisional,
    pendingOps,
    balanceCents,
    qfValid: current !== null,
    pai: children.flatMap((c) => (c.healthNotes.some((n) => n.kind === 'pai') ? [usual(c.firstNames)] : [])),
    allergies: children.flatMap((c) =>
      c.healthNotes
        .filter((n) => n.kind === 'allergie')
        .map((n) => `${usual(c.firstNames)} (${n.label.replace(/^Allergie\s*:\s*/i, '')})`),
    ),
    piecesMissing: documents.missing.length,
    piecesExpired: documents.expired,
    piecesExpiring: documents.expiringSoon,
    openDemandes: data.demandes.open,
    unreadMessages: data.messages.unread,
    titulaireReachable: Boolean(
      titulaire && (titulaire.person.phone || titulaire.person.mobile || titulaire.person.email),
    ),
    webAccount: data.webAccount?.status === 'actif',
  });
  return { ...file, flags };
}
