-- 0004 (issue 14): the symbol server. schema.sql holds the full schema after this migration.

-- One row per Portable PDB of a package version, from its .nupkg (beside its DLLs) or its .snupkg,
-- found by what an SSQP key names (the PDB id's GUID and the file name). The PDB's bytes are an R2
-- blob keyed by pdb_guid, pdb_stamp and checksum (src/store/blobs.ts), shared by identical PDBs.
CREATE TABLE IF NOT EXISTS symbol_files (
  lower_id       TEXT NOT NULL,
  lower_version  TEXT NOT NULL,
  source         TEXT NOT NULL CHECK (source IN ('nupkg', 'snupkg')),
  path           TEXT NOT NULL,        -- the entry's path in the package
  file_name      TEXT NOT NULL,        -- lower-cased last part of path: the key's first and last part
  pdb_guid       TEXT NOT NULL,        -- 32 lower-case hex digits, Guid "N" form
  pdb_stamp      TEXT NOT NULL,        -- 8 lower-case hex digits
  checksum       TEXT NOT NULL,        -- lower-case hex SHA-256 of the PDB with its id zeroed (SymbolChecksum)
  size           INTEGER NOT NULL,
  PRIMARY KEY (lower_id, lower_version, source, path)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS symbol_files_key ON symbol_files (pdb_guid, file_name);
CREATE INDEX IF NOT EXISTS symbol_files_checksum ON symbol_files (checksum);
