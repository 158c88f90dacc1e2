/**
 * The dashboard's charts (Recharts). Imported lazily by Dashboard.tsx, so the chart library
 * is a chunk of its own that only the dashboard loads. Each chart has a text equivalent:
 * the figures beside it.
 */
import { Bar, BarChart, CartesianGrid, Legend, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Stats } from '@/types/api';

// Colours from the design tokens (styles.css), all AA against the panel background.
const OUTCOME_COLOURS = ['var(--ok)', 'var(--brand)', 'var(--danger)', 'var(--muted)', 'var(--warn)'];

export default function DashboardCharts({ stats }: { stats: Stats }) {
  const outcomes = [
    { name: 'Completed automatically', value: stats.outcomes.completed },
    { name: 'Approved', value: stats.outcomes.approved },
    { name: 'Rejected', value: stats.outcomes.rejected },
    { name: 'Failed', value: stats.outcomes.failed },
    { name: 'Waiting for review', value: stats.outcomes.in_review },
  ].map((entry, index) => ({ ...entry, fill: OUTCOME_COLOURS[index] }));
  const reasons = stats.review_reasons.slice(0, 6).map((row) => ({ name: row.code, count: row.count }));
  const backlog = [
    { name: '< 1 day', count: stats.backlog.by_age.under_1_day },
    { name: '1–3 days', count: stats.backlog.by_age.from_1_to_3_days },
    { name: '3–7 days', count: stats.backlog.by_age.from_3_to_7_days },
    { name: '> 7 days', count: stats.backlog.by_age.over_7_days },
  ];
  return (
    <div className="charts">
      <figure className="panel chart" aria-label="Outcomes of the invoices received">
        <figcaption>Outcomes</figcaption>
        <ResponsiveContainer width="100%" height={220}>
          <PieChart>
            <Pie data={outcomes} dataKey="value" nameKey="name" innerRadius={50} outerRadius={85} isAnimationActive={false} />
            <Tooltip />
            <Legend />
          </PieChart>
        </ResponsiveContainer>
      </figure>
      <figure className="panel chart" aria-label="Top review reasons">
        <figcaption>Top review reasons</figcaption>
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={reasons} layout="vertical" margin={{ left: 24 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="name" width={150} tick={{ fontSize: 12 }} />
            <Tooltip />
            <Bar dataKey="count" fill="var(--brand)" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure className="panel chart" aria-label="Review backlog by age">
        <figcaption>Review backlog by age</figcaption>
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={backlog}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Bar dataKey="count" fill="var(--warn)" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}
