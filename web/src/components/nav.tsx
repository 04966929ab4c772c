import type { Profile } from "../api.ts";
import { LINKS, rolesOf } from "../roles.ts";

export function Nav(props: { me: Profile; route: string; onSignOut: () => void }) {
  const roles = rolesOf(props.me);
  return (
    <nav aria-label="Main">
      <ul>
        {LINKS.filter((link) => roles.includes(link.role)).map((link) => (
          <li key={link.route}>
            <a href={`#${link.route}`} aria-current={props.route === link.route ? "page" : undefined}>
              {link.label}
            </a>
          </li>
        ))}
        <li>
          <button type="button" class="link" onClick={props.onSignOut}>
            Sign out {props.me.username}
          </button>
        </li>
      </ul>
    </nav>
  );
}
