import type { Result, Router } from "hono/router";
import { TrieRouter } from "hono/router/trie-router";

/** Enough for every route of every service a server sees in a while; beyond it the oldest answer is forgotten. */
const MAX_REMEMBERED_PATHS = 4096;

/**
 * hono's TrieRouter behind a memo of its answers per method and path. The Authlete-style paths
 * mix static and parameter segments at the same depth (`/api/service/create` beside
 * `/api/{serviceId}/auth/token`), which hono's RegExpRouter refuses, so every request walked the
 * trie, allocating as it goes. The routes are fixed once the app is built, and a path (never its
 * query string) always matches the same handlers with the same parameters, so a remembered
 * answer is the answer; adding a route forgets them all.
 */
export class MemoRouter<T> implements Router<T> {
  readonly name = "MemoRouter(TrieRouter)";
  readonly #trie = new TrieRouter<T>();
  readonly #answers = new Map<string, Result<T>>();

  add(method: string, path: string, handler: T): void {
    this.#answers.clear();
    this.#trie.add(method, path, handler);
  }

  match(method: string, path: string): Result<T> {
    const key = `${method} ${path}`;
    let answer = this.#answers.get(key);
    if (answer === undefined) {
      answer = this.#trie.match(method, path);
      if (this.#answers.size >= MAX_REMEMBERED_PATHS) this.#answers.delete(this.#answers.keys().next().value as string);
      this.#answers.set(key, answer);
    }
    return answer;
  }
}
