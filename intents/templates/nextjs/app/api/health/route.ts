import { ping } from "../../../lib/db";

export async function GET() {
  try {
    await ping();
    return Response.json({ status: "ok", app: "{{name}}" });
  } catch (e) {
    return Response.json({ status: "unavailable" }, { status: 503 });
  }
}
