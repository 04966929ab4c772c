import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

/**
 * A page's heading and body. The heading takes focus when the page opens, so keyboard and screen
 * reader users land on the new page rather than on the link they followed.
 */
export function Page(props: { title: string; children: ComponentChildren; aside?: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.title} · Tavola`;
    heading.current?.focus();
  }, [props.title]);
  return (
    <>
      <div class="page-head">
        <h1 ref={heading} tabIndex={-1}>
          {props.title}
        </h1>
        {props.aside}
      </div>
      {props.children}
    </>
  );
}
