import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';

// Prisma 6.19 runs migrations through its bundled WASM schema engine when `engine` is
// `js`, so no native engine is downloaded. The pg adapter serves PostgreSQL and the
// embedded PGlite server alike; scripts/migrate.ts starts PGlite and sets DATABASE_URL.
const databaseUrl = process.env.DATABASE_URL;

// The schema's `url = env("DATABASE_URL")` must resolve even for `prisma generate`, which
// never connects; without it Prisma 6.19 falls back to downloading a native engine.
process.env.DATABASE_URL ??= 'postgresql://unused@127.0.0.1:1/unused';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  async adapter() {
    if (!databaseUrl) {
      throw new Error('DATABASE_URL is not set: prisma CLI commands that connect need it (npm run db:migrate starts the embedded database for you).');
    }
    return new PrismaPg({ connectionString: databaseUrl });
  },
});
