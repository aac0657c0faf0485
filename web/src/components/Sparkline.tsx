/** A tiny SVG line of a series (no chart library needed on the overview). */
export function Sparkline(props: { values: number[]; label: string }) {
  const { values } = props;
  const w = 120;
  const h = 32;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? w / (values.length - 1) : w;
  const points = values.map(
    (v, i) => `${(i * step).toFixed(1)},${(h - 2 - (v / max) * (h - 4)).toFixed(1)}`,
  );
  return (
    <svg
      class="sparkline"
      viewBox={`0 0 ${w} ${h}`}
      role="img"
      aria-label={props.label}
      preserveAspectRatio="none"
    >
      {values.length > 0 && (
        <>
          <polygon points={`0,${h} ${points.join(' ')} ${w},${h}`} class="spark-fill" />
          <polyline points={points.join(' ')} class="spark-line" />
        </>
      )}
    </svg>
  );
}
