// Focus and clipboard help the Reflex pages cannot express as components: where keyboard and screen-reader
// users land after a client-side navigation or a form's answer, and the order ID's Copy button.
(() => {
  if (typeof window === "undefined" || window.storefront) return;
  const MESSAGES = "main [role=alert], main [role=status]";
  let watcher = null;

  const place = () => location.pathname + location.search;

  // Move focus to `element`, making it focusable by script only (not a Tab stop) when it is not already.
  const focusOn = (element) => {
    if (element.tabIndex < 0 && !element.hasAttribute("tabindex")) element.setAttribute("tabindex", "-1");
    element.focus();
  };

  const stopWatching = () => {
    if (watcher) clearInterval(watcher);
    watcher = null;
  };

  // After a client-side navigation, focus the new page's heading once the page has rendered it (a page
  // still loading its own data marks its placeholder aria-busy): a screen reader then reads where it is.
  let shownPlace = place();
  const headingAfterNavigation = () => {
    if (place() === shownPlace) return;
    shownPlace = place();
    stopWatching();
    const previous = document.querySelector("main h1");
    const previousText = previous ? previous.textContent : "";
    const started = Date.now();
    watcher = setInterval(() => {
      const heading = document.querySelector("main h1");
      const busy = document.querySelector("main [aria-busy=true]");
      const fresh = heading && (heading !== previous || heading.textContent !== previousText);
      if (heading && ((fresh && !busy) || Date.now() - started > 3000)) {
        stopWatching();
        focusOn(heading);
      }
    }, 50);
  };
  for (const name of ["pushState", "replaceState"]) {
    const original = history[name];
    history[name] = function (...args) {
      const result = original.apply(this, args);
      setTimeout(headingAfterNavigation, 0);
      return result;
    };
  }
  window.addEventListener("popstate", () => setTimeout(headingAfterNavigation, 0));

  // After a form is submitted (or a button marked data-announce is pressed), focus the answer: the first
  // status or alert in the page that is new or has changed since. A navigation instead takes focus above.
  const answerAfterAction = () => {
    stopWatching();
    const before = new Map([...document.querySelectorAll(MESSAGES)].map((el) => [el, el.textContent]));
    const started = Date.now();
    watcher = setInterval(() => {
      const answer = [...document.querySelectorAll(MESSAGES)].find(
        (el) => !before.has(el) || before.get(el) !== el.textContent,
      );
      if (answer && answer.textContent.trim()) {
        stopWatching();
        focusOn(answer);
      } else if (Date.now() - started > 15000) {
        stopWatching();
      }
    }, 50);
  };
  document.addEventListener("submit", answerAfterAction, true);
  document.addEventListener(
    "click",
    (event) => {
      if (event.target.closest && event.target.closest("[data-announce]")) answerAfterAction();
    },
    true,
  );

  // In-page links (Skip to content, an error summary's links to its fields) move focus to their target, not
  // only the view: the router would otherwise take the click, and keyboard users would stay where they were.
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[href*='#']");
    if (!link || !link.hash || link.origin !== location.origin || link.pathname !== location.pathname) return;
    const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) return;
    event.preventDefault();
    target.scrollIntoView({ block: "center" });
    focusOn(target);
  });

  // Copy the text of `sourceId` and say so in `statusId`; where the clipboard is refused, select the text
  // so the person can copy it themselves.
  const copyText = async (sourceId, statusId) => {
    const source = document.getElementById(sourceId);
    const status = document.getElementById(statusId);
    if (!source) return;
    const say = (text) => {
      if (status) status.textContent = text;
    };
    try {
      await navigator.clipboard.writeText(source.textContent.trim());
      say("Copied.");
    } catch {
      const range = document.createRange();
      range.selectNodeContents(source);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      say("Selected: press Ctrl+C (or ⌘C) to copy.");
    }
  };

  window.storefront = { copyText };
})();
