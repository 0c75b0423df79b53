// The saliency sanity check of a stored map (issue #16; Adebayo et al., NeurIPS 2018): its verdict and the
// rank correlation left once every layer is randomized, shown beside the map in the map list; and the
// checkboxes that ask for the checks with the next map (explain.run { sanity: 'cascade' | 'all' }).

import type { MapSanity } from '../../../core/api/index.js';
import { sanityText } from './sanityText.js';

/** The verdict beside a map; its meaning in words as the tooltip and, when it failed, below it. */
export function SanityBadge(props: { sanity: MapSanity | null }): React.JSX.Element {
  const { sanity } = props;
  return (
    <div
      className={`small sanity sanity-${sanity?.verdict ?? 'none'}`}
      data-testid="map-sanity"
      data-verdict={sanity?.verdict ?? 'not run'}
      title={sanity?.words ?? 'Tick "Check the map (sanity)" before running, or use voxlab explain --sanity'}
    >
      {sanityText(sanity)}
      {sanity?.verdict === 'failed' && <div className="muted">{sanity.words}</div>}
    </div>
  );
}

/** The checks the next map runs: none, the cascade, or the cascade and the shuffled-label retraining. */
export type SanityChoice = 'cascade' | 'all' | undefined;

/**
 * "Check the map (sanity)": the next map also runs the cascading randomization with the same method; once
 * ticked, "also with shuffled labels" adds the data randomization (the model's training recipe again on
 * shuffled labels, as long as the training took; the core refuses it, in words, for an imported model).
 */
export function SanityCheckbox(props: {
  value: SanityChoice;
  onChange: (value: SanityChoice) => void;
  /** false for an imported model: nothing to retrain, so the shuffled-label box is off and says why. */
  retrainable: boolean;
}): React.JSX.Element {
  const { value, onChange, retrainable } = props;
  return (
    <div className="sanity-choice">
      <label
        className="check"
        title="Runs the map again with the model's layers randomized one by one from the top (one more map per layer group): a map that does not change shows the image more than the model"
      >
        <input
          type="checkbox"
          checked={value !== undefined}
          onChange={(e) => onChange(e.target.checked ? 'cascade' : undefined)}
          data-testid="sanity-check"
        />{' '}
        Check the map (sanity)
      </label>
      {value !== undefined && (
        <label
          className="check"
          title={
            retrainable
              ? "Also trains the model's recipe again on the same scans with their labels shuffled and explains with that model: a map that stays the same does not depend on what the labels taught. Takes as long as the training did."
              : 'Only for models trained in this study: this model was imported, so there is no recipe to train again on shuffled labels.'
          }
        >
          <input
            type="checkbox"
            disabled={!retrainable}
            checked={value === 'all' && retrainable}
            onChange={(e) => onChange(e.target.checked ? 'all' : 'cascade')}
            data-testid="sanity-data"
          />{' '}
          also with shuffled labels (retrains: minutes)
        </label>
      )}
    </div>
  );
}
