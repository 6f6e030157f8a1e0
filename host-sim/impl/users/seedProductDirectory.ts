// First-start data of the user directory: the product's groups and the `admin` user (password
// `admin`, key `admin`, system administrator). Idempotent and safe when nodes start together.
import type { PasswordEncoder } from './PasswordEncoder';
import type { ProductProfile } from './ProductProfile';
import type { UserStore } from './UserStore';

export async function seedProductDirectory(store: UserStore, passwords: PasswordEncoder, profile: ProductProfile): Promise<void> {
  for (const group of [profile.sysadminGroup, profile.adminGroup, profile.usersGroup]) await store.insertGroup(group);
  if (!(await store.findByName('admin'))) {
    await store.insertUser({
      key: 'admin', name: 'admin', displayName: 'Administrator', email: 'admin@example.com',
      credential: await passwords.encode('admin'), locale: 'en_US', timeZone: 'UTC',
    });
  }
  const admin = await store.findByName('admin');
  // Only the seeded admin joins the admin group; a pre-existing user named admin keeps its groups.
  if (admin && admin.key === 'admin') {
    for (const group of [profile.sysadminGroup, profile.usersGroup]) await store.addMembership('admin', group);
  }
}
