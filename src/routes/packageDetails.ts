// PLACEHOLDER: replaced by the module's real implementation.
export function packageDetailsPage(..._args: unknown[]): Response { return new Response('not implemented', { status: 501 }); }
export function reportAbusePage(..._args: unknown[]): Response { return new Response('not implemented', { status: 501 }); }
