/** Below this, a field is flagged (CONFIDENCE_THRESHOLD's default). */
export const LOW_CONFIDENCE = 80;

export function confidenceWord(confidence: number): string {
  if (confidence >= 95) return 'high';
  if (confidence >= LOW_CONFIDENCE) return 'good';
  if (confidence >= 50) return 'low';
  return 'very low';
}
