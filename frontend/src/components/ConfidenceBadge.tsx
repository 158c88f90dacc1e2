import { confidencePercent, confidenceWord } from '@/lib/confidence';

/** Confidence shown plainly: the number and a word, never colour alone. */
export function ConfidenceBadge({ confidence }: { confidence: number }) {
  const word = confidenceWord(confidence);
  return (
    <span className={`confidence confidence--${word.replace(' ', '-')}`}>
      {confidencePercent(confidence)}% <span className="confidence__word">{word}</span>
    </span>
  );
}
