/** SymbolPackagePublish/4.9.0 (protocol §2.6): PUT {symbolBase}/ with the same body and key as a push. */
import type { IRequest } from 'itty-router';
import { authenticatePublisher } from '../auth';
import type { Env } from '../env';
import { publishSymbols } from '../push/symbols';
import { uploadLimits } from '../push/upload';
import { failureResponse, isFailure } from '../problems';

export async function pushSymbolPackage(request: IRequest, env: Env): Promise<Response> {
  const now = new Date();
  const publisher = await authenticatePublisher(request, env, now);
  if (isFailure(publisher)) return failureResponse(publisher);
  const result = await publishSymbols(env, request, uploadLimits(env), publisher, now);
  return isFailure(result) ? failureResponse(result) : new Response(null, { status: 201 });
}
