/**
 * The symbol server: GET and HEAD {base}/{file}/{signature}/{file} (SSQP), a PDB indexed from a
 * pushed .nupkg or .snupkg, straight from R2. Every miss is a 404, whatever was wrong with the
 * key: a symbol client takes any other error status (400, 403, …) for a broken server and stops
 * asking it for the rest of the session. A `SymbolChecksum` the PDB does not match is a miss too:
 * the client would refuse the file anyway.
 */
import type { IRequest } from 'itty-router';
import type { Env } from '../env';
import { parseSymbolFile } from '../linkParams';
import { checksumAdmits } from '../nuget/ssqp';
import { fail, failureResponse } from '../problems';
import { type BlobFile, blobHeadResponse, blobResponse } from '../store/blobResponse';
import { findSymbolBlobs, symbolBlobFile } from '../store/symbols';

async function requestedPdb(request: IRequest, env: Env): Promise<BlobFile | null> {
  const key = parseSymbolFile(request.params);
  if (key === null) return null;
  const checksum = request.headers.get('SymbolChecksum');
  const blob = (await findSymbolBlobs(env.DB, key)).find((found) => checksumAdmits(checksum, found.checksum));
  return blob ? symbolBlobFile(blob) : null;
}

function missing(): Response {
  return failureResponse(fail('notFound', 'No such symbol file here.'));
}

export async function symbolFile(request: IRequest, env: Env): Promise<Response> {
  const pdb = await requestedPdb(request, env);
  return (pdb && (await blobResponse(env.PACKAGES, request, pdb))) ?? missing();
}

/** HEAD: R2 head(), no body read. */
export async function symbolFileHead(request: IRequest, env: Env): Promise<Response> {
  const pdb = await requestedPdb(request, env);
  return (pdb && (await blobHeadResponse(env.PACKAGES, request, pdb))) ?? missing();
}
