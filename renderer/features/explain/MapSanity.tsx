// The saliency sanity check of a stored map (issue #16; Adebayo et al., NeurIPS 2018): its verdict and the
// rank correlation left once every layer is randomized, shown beside the map in the map list; and the
// checkbox that asks for the check with the next map (explain.run { sanity: 'cascade' }).

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

/** "Check the map (sanity)": the next map also runs the cascading randomization with the same method. */
export function SanityCheckbox(props: {
  checked: boolean;
  onChange: (checked: boolean) => void;
}): React.JSX.Element {
  return (
    <label
      className="check"
      title="Runs the map again with the model's layers randomized one by one from the top (one more map per layer group): a map that does not change shows the image more than the model"
    >
      <input
        type="checkbox"
        checked={props.checked}
        onChange={(e) => props.onChange(e.target.checked)}
        data-testid="sanity-check"
      />{' '}
      Check the map (sanity)
    </label>
  );
}
