// PLACEHOLDER: replaced by the module's real implementation.
export function pushPackage(..._args: unknown[]): Response { return new Response('not implemented', { status: 501 }); }
export function unlistPackage(..._args: unknown[]): Response { return new Response('not implemented', { status: 501 }); }
export function relistPackage(..._args: unknown[]): Response { return new Response('not implemented', { status: 501 }); }
