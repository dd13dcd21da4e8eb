import { listTodos } from "../lib/db";

export const dynamic = "force-dynamic";

export default async function Home() {
  const todos = await listTodos();
  return (
    <main>
      <h1>{{name}}</h1>
      <ul>
        {todos.map((t) => (
          <li key={t.id}>{t.title}</li>
        ))}
      </ul>
    </main>
  );
}
