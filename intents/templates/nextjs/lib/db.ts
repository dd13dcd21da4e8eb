import { Pool } from "pg";

// The app's tables are in its own schema, {{schema}} (create-nextjs-app migrated it there).
const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  options: "-c search_path={{schema}}",
});

export async function ping(): Promise<void> {
  await pool.query("select 1");
}

export async function listTodos(): Promise<{ id: number; title: string }[]> {
  const { rows } = await pool.query("select id, title from todos order by id");
  return rows;
}
