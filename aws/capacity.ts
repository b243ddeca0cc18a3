/**
 * How many pool addresses the Auto Scaling group can need at once, and the instance refresh settings
 * that never need more. Pure, so the arithmetic is tested for every size.
 */

/**
 * Addresses beyond maxSize: AZ rebalancing may exceed maxSize by 10 % or one instance (whichever is
 * larger) and launches before it terminates; instance refresh below launches ahead as well.
 */
export function poolHeadroom(maxSize: number): number {
  return Math.max(1, Math.ceil(maxSize / 10));
}

/**
 * Instance refresh: keep 100 % healthy (no capacity dip) and launch replacements ahead only as far
 * as the spare addresses allow: ceil(maxSize × maxHealthy / 100) ≤ eipPoolSize. AWS allows 100-200.
 */
export function refreshMaxHealthyPercentage(maxSize: number, eipPoolSize: number): number {
  const spare = eipPoolSize - maxSize;
  if (spare < 1) throw new Error(`eipPoolSize ${eipPoolSize} leaves no spare address over maxSize ${maxSize}`);
  return Math.min(200, 100 + Math.floor((100 * spare) / maxSize));
}
