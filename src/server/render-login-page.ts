/**
 * The page `/login` shows: one field for a client key, posted as a plain form so it works with
 * scripts off. Small enough to live here rather than as an embedded file.
 */

/**
 * @example
 * new Response(renderLoginPage("That key is not one this server knows."), { status: 401, headers: { "content-type": "text/html; charset=utf-8" } });
 */
export function renderLoginPage(problem?: string): string {
  const message = problem === undefined ? "" : `<p class="problem" role="alert">${escapeHtml(problem)}</p>`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>anyclaude · log in</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/dashboard/assets/dashboard.css" />
  </head>
  <body>
    <main class="login">
      <h1>anyclaude</h1>
      <form method="post" action="/login">
        <label>Client key <input name="key" type="password" autocomplete="current-password" required autofocus /></label>
        <button type="submit">Log in</button>
      </form>
      ${message}
      <p><small>A key from <code>anyclaude keys add NAME</code>, <code>server.keys</code> or <code>server.apiKey</code>. The browser keeps a session cookie, not the key.</small></p>
    </main>
  </body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
