// The model's prediction of the open scan, kept visibly apart from the human label: a dashed box that says
// "model prediction, not a label", with the class, its confidence, the model and when it was made.

import { useStudyStore } from '../../stores/useStudyStore.js';
import { predictionText } from './predictionText.js';

export function PredictionNote(props: { imageId: string }): React.JSX.Element | null {
  const image = useStudyStore((s) => s.images.find((i) => i.id === props.imageId));
  const prediction = image?.prediction ?? null;
  if (prediction === null) return null;
  return (
    <div className="prediction-note" data-testid="prediction-note" title="A model's output. It is not a label until a reader sets one.">
      <span className="prediction-tag">model prediction · not a label</span> {predictionText(prediction)}
    </div>
  );
}
