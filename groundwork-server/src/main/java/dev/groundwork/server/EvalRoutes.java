package dev.groundwork.server;

import dev.groundwork.app.Evals;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/** The eval API: list, start, read and compare the project's stored eval runs. */
final class EvalRoutes {
  private final Evals evals;

  /** @param evals null answers every eval route with 400 (the server was built without them) */
  EvalRoutes(Evals evals) {
    this.evals = evals;
  }

  void install(RoutesConfig routes) {
    routes.get("/api/evals", ctx -> Http.json(ctx, 200, Map.of("runs", evals().runs())));
    routes.post("/api/evals", this::start);
    routes.get("/api/evals/compare", this::compare);
    routes.get("/api/evals/{id}", ctx -> Http.json(ctx, 200, evals().get(ctx.pathParam("id"))));
  }

  private void start(Context ctx) {
    String suite = Http.body(ctx).path("suite").asText("");
    if (suite.isBlank()) throw new Http.BadRequest("'suite' is required: a suite file or folder in the project");
    Http.json(ctx, 200, Map.of("runs", evals().start(suite)));
  }

  private void compare(Context ctx) {
    String a = ctx.queryParam("before");
    String b = ctx.queryParam("after");
    if (a == null || b == null) throw new Http.BadRequest("query parameters before and after (run ids) are required");
    Http.json(ctx, 200, evals().compare(a, b));
  }

  private Evals evals() {
    if (evals == null) throw new Http.BadRequest("this server does not run evals");
    return evals;
  }
}
