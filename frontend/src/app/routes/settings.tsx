import { SettingsAdmin } from '@/features/admin/components/SettingsAdmin';

export function SettingsRoute() {
  return (
    <>
      <h1>Settings</h1>
      <SettingsAdmin />
    </>
  );
}
