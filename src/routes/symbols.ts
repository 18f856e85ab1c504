/** SymbolPackagePublish/4.9.0 (protocol §2.6): PUT {symbolBase}/ with the same body and key as a push. */
import type { IRequest } from 'itty-router';
import { authenticate } from '../auth';
import type { Env } from '../env';
import { publishSymbols } from '../push/symbols';
import { uploadLimits } from '../push/upload';
import { failureResponse, isFailure } from '../problems';

export async function pushSymbolPackage(request: IRequest, env: Env): Promise<Response> {
  const refused = await authenticate(request, env);
  if (refused) return failureResponse(refused);
  const result = await publishSymbols(env, request, uploadLimits(env));
  return isFailure(result) ? failureResponse(result) : new Response(null, { status: 201 });
}
