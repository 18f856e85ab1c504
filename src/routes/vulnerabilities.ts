// PLACEHOLDER: replaced by the module's real implementation.
export function vulnerabilityIndex(..._args: unknown[]): Response { return new Response('not implemented', { status: 501 }); }
export function vulnerabilityPage(..._args: unknown[]): Response { return new Response('not implemented', { status: 501 }); }
