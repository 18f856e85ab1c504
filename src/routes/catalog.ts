// PLACEHOLDER: replaced by the module's real implementation.
export function catalogIndex(..._args: unknown[]): Response { return new Response('not implemented', { status: 501 }); }
export function catalogPage(..._args: unknown[]): Response { return new Response('not implemented', { status: 501 }); }
export function catalogLeaf(..._args: unknown[]): Response { return new Response('not implemented', { status: 501 }); }
