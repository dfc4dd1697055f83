/**
 * A minimal SVG line chart (no dependency): a few series over shared axes, linear or logarithmic x, for the risk
 * command's severity and rate-curve pictures.
 */

export type Series = {
  name: string;
  color: string;
  points: ReadonlyArray<readonly [number, number]>;
  /** Draw as a step function (an empirical CDF) instead of straight segments. */
  step?: boolean;
  dashed?: boolean;
};

export type ChartSpec = {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  /** Logarithmic x axis (positive x only). */
  logX?: boolean;
  /** Tick labels. */
  formatX: (value: number) => string;
  formatY: (value: number) => string;
};

const WIDTH = 720;
const HEIGHT = 420;
const MARGIN = { left: 70, right: 20, top: 40, bottom: 80 };
const TICKS = 5;

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Renders the chart as a standalone SVG document. */
export function lineChart(spec: ChartSpec): string {
  const all = spec.series.flatMap((series) => series.points);
  const toX = (value: number) => (spec.logX ? Math.log10(value) : value);
  const xs = all.map(([x]) => toX(x));
  const ys = all.map(([, y]) => y);
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  const [yMin, yMax] = [Math.min(0, ...ys), Math.max(...ys) * 1.05 || 1];
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const px = (x: number) => MARGIN.left + ((toX(x) - xMin) / (xMax - xMin || 1)) * plotWidth;
  const py = (y: number) => MARGIN.top + plotHeight - ((y - yMin) / (yMax - yMin || 1)) * plotHeight;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(spec.title)}</text>`,
  ];
  for (let tick = 0; tick <= TICKS; tick++) {
    const xValue = spec.logX ? 10 ** (xMin + ((xMax - xMin) * tick) / TICKS) : xMin + ((xMax - xMin) * tick) / TICKS;
    const yValue = yMin + ((yMax - yMin) * tick) / TICKS;
    parts.push(
      `<line x1="${px(xValue)}" y1="${MARGIN.top}" x2="${px(xValue)}" y2="${MARGIN.top + plotHeight}" stroke="#eee"/>`,
      `<text x="${px(xValue)}" y="${MARGIN.top + plotHeight + 16}" text-anchor="middle">${escapeXml(spec.formatX(xValue))}</text>`,
      `<line x1="${MARGIN.left}" y1="${py(yValue)}" x2="${MARGIN.left + plotWidth}" y2="${py(yValue)}" stroke="#eee"/>`,
      `<text x="${MARGIN.left - 6}" y="${py(yValue) + 4}" text-anchor="end">${escapeXml(spec.formatY(yValue))}</text>`,
    );
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#888"/>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${MARGIN.top + plotHeight + 36}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`,
  );
  spec.series.forEach((series, index) => {
    const path = series.points
      .map(([x, y], point) => {
        const previous = series.points[point - 1];
        const riser = series.step && previous !== undefined ? `L${px(x).toFixed(1)},${py(previous[1]).toFixed(1)} ` : "";
        return `${point === 0 ? "M" : `${riser}L`}${px(x).toFixed(1)},${py(y).toFixed(1)}`;
      })
      .join(" ");
    const dash = series.dashed ? ' stroke-dasharray="6 4"' : "";
    parts.push(
      `<path d="${path}" fill="none" stroke="${series.color}" stroke-width="2"${dash}/>`,
      `<line x1="${MARGIN.left + 10 + index * 230}" y1="${HEIGHT - 18}" x2="${MARGIN.left + 34 + index * 230}" y2="${HEIGHT - 18}" stroke="${series.color}" stroke-width="2"${dash}/>`,
      `<text x="${MARGIN.left + 40 + index * 230}" y="${HEIGHT - 14}">${escapeXml(series.name)}</text>`,
    );
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
