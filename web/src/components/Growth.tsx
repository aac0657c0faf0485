/** Growth figure: arrow and percentage, green when good (inverted where lower is better). */
import { formatPercent } from '../format.ts';

export function Growth(props: { value: number | undefined; inverted?: boolean; label?: string }) {
  const { value } = props;
  if (value === undefined || !Number.isFinite(value)) return null;
  const good = props.inverted ? value < 0 : value > 0;
  const tone = value === 0 ? 'neutral' : good ? 'good' : 'bad';
  const arrow = value > 0 ? '↑' : value < 0 ? '↓' : '→';
  const text = `${arrow} ${formatPercent(Math.abs(value))}`;
  return (
    <span
      class={`growth ${tone}`}
      title={props.label ?? 'Change against the previous period'}
      aria-label={`${value >= 0 ? 'up' : 'down'} ${formatPercent(Math.abs(value))}${props.label ? ` ${props.label}` : ''}`}
    >
      {text}
    </span>
  );
}
