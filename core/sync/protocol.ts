// Sync protocol constants shared by the server and every desk.

/** Bumped on any incompatible change of the /sync/v1 wire format. */
export const SYNC_PROTOCOL_VERSION = 1;

/** Headers every sync call carries. */
export const PROTOCOL_HEADER = 'x-gf-protocol';
export const SCHEMA_HEADER = 'x-gf-schema';
export const SNAPSHOT_SEQ_HEADER = 'x-gf-snapshot-seq';

export const UPDATE_REQUIRED_MESSAGE =
  'Mise à jour nécessaire : ce poste utilise une version trop ancienne de Guichet Famille. Installez la dernière version pour reprendre la synchronisation.';
