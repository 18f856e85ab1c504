// PLACEHOLDER: replaced by the module's real implementation.
export function search(..._args: unknown[]): Response { return new Response('not implemented', { status: 501 }); }
