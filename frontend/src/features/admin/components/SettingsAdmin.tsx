import { useState, type SyntheticEvent } from 'react';
import { ErrorMessage, Loading } from '@/components/Feedback';
import { fieldLabel, formatDateTime } from '@/lib/format';
import { useSession } from '@/lib/session';
import type { TenantSettings, User } from '@/types/api';
import { useChangeUser } from '../api/change-user';
import { useSettings, useSettingsAudit } from '../api/get-settings';
import { useUsers } from '../api/get-users';
import { useInviteUser } from '../api/invite-user';
import { useUpdateSettings } from '../api/update-settings';

const ROLES = ['clerk', 'reviewer', 'admin'] as const;
type RoleName = (typeof ROLES)[number];

function InviteForm() {
  const invite = useInviteUser();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<RoleName>('clerk');
  const submit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    invite.mutate({ email: email.trim(), role }, { onSuccess: () => setEmail('') });
  };
  return (
    <form onSubmit={submit} aria-label="Invite a user" className="filters">
      <label>
        E-mail{' '}
        <input type="email" required value={email} placeholder="name@company.example" onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label>
        Role{' '}
        <select value={role} onChange={(e) => setRole(e.target.value as RoleName)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button" disabled={invite.isPending}>
        Invite
      </button>
      {invite.isSuccess && <p role="status">Invited; Cognito e-mails them a temporary password.</p>}
      {invite.isError && <ErrorMessage error={invite.error} title="The user was not invited." />}
    </form>
  );
}

function UserRow({ user, self }: { user: User; self: boolean }) {
  const change = useChangeUser();
  return (
    <tr>
      <td>
        {user.email}
        {self && <span className="muted"> (you)</span>}
      </td>
      <td>
        <select
          aria-label={`Role of ${user.email}`}
          value={user.role ?? ''}
          disabled={change.isPending}
          onChange={(e) => change.mutate({ username: user.username, change: { role: e.target.value as RoleName } })}
        >
          {user.role === null && <option value="">none</option>}
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </td>
      <td>{user.enabled ? 'yes' : 'no'}</td>
      <td>{user.status}</td>
      <td>
        <button
          type="button"
          className="button"
          disabled={change.isPending}
          onClick={() => change.mutate({ username: user.username, change: { enabled: !user.enabled } })}
        >
          {user.enabled ? 'Disable' : 'Enable'}
        </button>
        {change.isError && <ErrorMessage error={change.error} title="Not changed." />}
      </td>
    </tr>
  );
}

function UsersPanel() {
  const users = useUsers();
  const session = useSession();
  return (
    <section aria-labelledby="users-heading" className="panel">
      <div className="panel__header">
        <h2 id="users-heading">Users</h2>
      </div>
      <InviteForm />
      {users.isPending && <Loading label="Loading users…" />}
      {users.isError && <ErrorMessage error={users.error} title="Could not load the users." />}
      {users.isSuccess && (
        <table className="table" aria-label="Users">
          <thead>
            <tr>
              <th>E-mail</th>
              <th>Role</th>
              <th>Enabled</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.data.items.map((user) => (
              <UserRow key={user.username} user={user} self={user.email === session?.email} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The thresholds as the form holds them: the company's own value, or '' for the default. */
type Draft = Record<string, string>;

function draftOf(settings: TenantSettings): Draft {
  return Object.fromEntries(settings.threshold_fields.map((name) => [name, settings.confidence_thresholds[name]?.toString() ?? '']));
}

function SettingsForm({ settings, update }: { settings: TenantSettings; update: ReturnType<typeof useUpdateSettings> }) {
  const [selfApproval, setSelfApproval] = useState(settings.allow_self_approval);
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  const submit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const thresholds = Object.fromEntries(
      Object.entries(draft)
        .filter(([, value]) => value.trim() !== '')
        .map(([name, value]) => [name, Number(value)]),
    );
    update.mutate({ allow_self_approval: selfApproval, confidence_thresholds: thresholds, expected_version: settings.version });
  };
  const defaultOf = (name: string) => settings.default_field_thresholds[name] ?? settings.default_confidence_threshold;
  return (
    <form onSubmit={submit} aria-label="Company settings" className="panel">
      <div className="panel__header">
        <h2>Review rules</h2>
      </div>
      <label>
        <input type="checkbox" checked={selfApproval} onChange={(e) => setSelfApproval(e.target.checked)} /> Reviewers may decide on
        documents they uploaded themselves (one-person teams; the audit marks each such decision)
      </label>
      <table className="table" aria-label="Confidence thresholds">
        <thead>
          <tr>
            <th>Field</th>
            <th>Default</th>
            <th>Your company's threshold (0–100; empty: the default)</th>
          </tr>
        </thead>
        <tbody>
          {settings.threshold_fields.map((name) => (
            <tr key={name}>
              <td>{fieldLabel(name)}</td>
              <td>{defaultOf(name)}</td>
              <td>
                <input
                  type="number"
                  min={0}
                  max={100}
                  step="any"
                  aria-label={`Threshold for ${fieldLabel(name)}`}
                  value={draft[name] ?? ''}
                  onChange={(e) => setDraft((current) => ({ ...current, [name]: e.target.value }))}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        A value read with less confidence than its threshold sends the invoice to review. Thresholds apply to invoices routed from
        now on; `docuflow calibrate --apply` sets them from reviewers' corrections.
      </p>
      <button type="submit" className="button" disabled={update.isPending}>
        Save settings
      </button>
      {update.isSuccess && <p role="status">Saved (version {update.data.version}).</p>}
      {update.isError && <ErrorMessage error={update.error} title="The settings were not saved." />}
      {settings.updated_at && (
        <p className="muted">
          Last changed {formatDateTime(settings.updated_at)} by {settings.updated_by}
        </p>
      )}
    </form>
  );
}

function ChangesPanel() {
  const audit = useSettingsAudit();
  if (audit.isPending) return <Loading label="Loading changes…" />;
  if (audit.isError) return <ErrorMessage error={audit.error} title="Could not load the changes." />;
  return (
    <section aria-labelledby="changes-heading" className="panel">
      <h2 id="changes-heading">Changes</h2>
      {audit.data.items.length === 0 ? (
        <p className="muted">No changes yet.</p>
      ) : (
        <ul aria-label="Changes">
          {audit.data.items.slice(0, 20).map((item) => (
            <li key={`${item.at}-${item.event}`}>
              {formatDateTime(item.at)} {item.actor}: {item.event.replace('_', ' ')} {JSON.stringify(item.before ?? {})} →{' '}
              {JSON.stringify(item.after ?? {})}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The company's administration (admins): users, self-approval and thresholds. */
export function SettingsAdmin() {
  const settings = useSettings();
  const update = useUpdateSettings();
  return (
    <>
      <UsersPanel />
      {settings.isPending && <Loading label="Loading settings…" />}
      {settings.isError && <ErrorMessage error={settings.error} title="Could not load the settings." />}
      {/* Keyed by version: a saved (or reloaded) version starts the form from what is stored. */}
      {settings.isSuccess && <SettingsForm key={settings.data.version} settings={settings.data} update={update} />}
      <ChangesPanel />
    </>
  );
}
