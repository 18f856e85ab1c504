// PLACEHOLDER: replaced by the module's real implementation.
export function registrationDocument(..._args: unknown[]): Response { return new Response('not implemented', { status: 501 }); }
