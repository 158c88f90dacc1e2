/** Below this, a field is flagged (CONFIDENCE_THRESHOLD's default). */
export const LOW_CONFIDENCE = 80;

/**
 * A confidence as every screen shows it: whole percent, rounded down. Down, because the
 * thresholds (here and the pipeline's) are whole numbers compared with the exact value:
 * 94.6 is below 95, so it shows as "94% good", never "95% good" beside a "95% high".
 */
export function confidencePercent(confidence: number): number {
  return Math.floor(confidence);
}

export function confidenceWord(confidence: number): string {
  if (confidence >= 95) return 'high';
  if (confidence >= LOW_CONFIDENCE) return 'good';
  if (confidence >= 50) return 'low';
  return 'very low';
}
