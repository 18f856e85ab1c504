// PLACEHOLDER
export async function repairFeed(..._args: unknown[]): Promise<void> {}
