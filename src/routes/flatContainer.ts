// PLACEHOLDER: replaced by the module's real implementation.
export function versionsIndex(..._args: unknown[]): Response { return new Response('not implemented', { status: 501 }); }
export function packageFile(..._args: unknown[]): Response { return new Response('not implemented', { status: 501 }); }
