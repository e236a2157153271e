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

  // Once the person has moved focus themselves (Tab, a skip link, a click into a field) while a watcher below
  // waits for the page, their choice stands. Only a key or a pointer pressed since the watcher started counts:
  // focus that a re-render moved is not theirs.
  let lastInput = 0;
  for (const name of ["keydown", "pointerdown"]) {
    document.addEventListener(name, () => { lastInput = Date.now(); }, true);
  }
  const movedByPerson = (before, since) =>
    lastInput > since && document.activeElement !== before && document.activeElement !== document.body;

  // Where focus belongs on the page as drawn: what the page marks (an opened message's subject, the row of
  // the message just closed), else its heading.
  const focusTarget = () => document.querySelector("main [data-focus-target=true]") || document.querySelector("main h1");

  // After a client-side navigation, focus the new page's heading (or what it marks) once the page has rendered
  // it (a page still loading its own data marks its placeholder aria-busy): a screen reader then reads where
  // it is. `previous` is what was there before: a target still the same is the old page's.
  const focusWhenDrawn = (previous) => {
    stopWatching();
    const previousText = previous ? previous.textContent : "";
    const started = Date.now();
    const focusedBefore = document.activeElement;
    watcher = setInterval(() => {
      if (movedByPerson(focusedBefore, started)) return stopWatching();
      const target = focusTarget();
      const busy = document.querySelector("main [aria-busy=true]");
      const fresh = target && (target !== previous || target.textContent !== previousText);
      if (target && ((fresh && !busy) || Date.now() - started > 3000)) {
        stopWatching();
        focusOn(target);
        target.scrollIntoView({ block: "nearest" });
      }
    }, 50);
  };
  // A toast belongs to the page that raised it ("added to your cart"): it leaves with that page.
  const dismissToasts = () => {
    document.querySelectorAll("[data-sonner-toast] [data-close-button]").forEach((button) => button.click());
  };
  let shownPath = location.pathname;
  let shownPlace = place();
  const headingAfterNavigation = () => {
    if (place() === shownPlace) return;
    shownPlace = place();
    if (location.pathname !== shownPath) dismissToasts();
    shownPath = location.pathname;
    focusWhenDrawn(focusTarget());
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
    const focusedBefore = document.activeElement;
    watcher = setInterval(() => {
      if (movedByPerson(focusedBefore, started)) return stopWatching();
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
  // only the view. Taken before the router sees the click (capture): it would push "#main" as a new history
  // entry (Back then stays on the page), resolved against its own idea of the URL.
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[href*='#']");
    if (!link || !link.hash || link.origin !== location.origin || link.pathname !== location.pathname) return;
    const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) return;
    event.preventDefault();
    event.stopPropagation();
    stopWatching();
    target.scrollIntoView({ block: "center" });
    focusOn(target);
  }, true);

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

  // Login, registration and logout end in a full page load (a form POST, so the cookie can be set): the
  // page that posted leaves a note, and the page that follows focuses its heading as a navigation would.
  const AFTER_POST = "storefront-focus-heading";
  const noteFormPost = () => {
    try {
      sessionStorage.setItem(AFTER_POST, "1");
    } catch {
      // Storage refused (private mode): focus simply stays where the browser puts it.
    }
  };
  try {
    if (sessionStorage.getItem(AFTER_POST)) {
      sessionStorage.removeItem(AFTER_POST);
      focusWhenDrawn(null);
    }
  } catch {
    // as above
  }

  // Escape folds the phone menu away and gives focus back to its button (as a disclosure's Escape does).
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const button = document.querySelector(".menu-button[aria-expanded=true]");
    if (!button || button.offsetParent === null) return;
    button.click();
    button.focus();
  });

  // An email's frame is as tall as the email, so the message reads with the page's own scroll bar. The frame
  // the reader sees has an origin of its own (its links may navigate), so its height cannot be read: the same
  // email is laid out once more, at the same width, in a hidden frame that may do nothing at all (no scripts,
  // no links, no popups) but whose document this page can measure.
  const fitFrame = (frame) => {
    const html = frame.getAttribute("srcdoc");
    if (!html || !frame.clientWidth) return;
    const probe = document.createElement("iframe");
    probe.setAttribute("sandbox", "allow-same-origin");
    probe.setAttribute("aria-hidden", "true");
    probe.tabIndex = -1;
    probe.style.cssText = `position:absolute;left:0;top:0;width:${frame.clientWidth}px;height:10px;border:0;`
      + "visibility:hidden;pointer-events:none;";
    probe.addEventListener("load", () => {
      try {
        const height = probe.contentDocument.documentElement.scrollHeight;
        if (frame.getAttribute("srcdoc") === html) frame.style.height = `${height + 2}px`;
      } catch {
        // Not measurable: the frame keeps its fixed height and scrolls.
      }
      probe.remove();
    });
    probe.srcdoc = html;
    frame.after(probe);
  };
  document.addEventListener(
    "load",
    (event) => {
      if (event.target.matches && event.target.matches("iframe.mail-frame")) fitFrame(event.target);
    },
    true,
  );
  let resizing = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizing);
    resizing = setTimeout(() => document.querySelectorAll("iframe.mail-frame").forEach(fitFrame), 100);
  });
  // A tab shown after the load (HTML chosen again) is measured again too.
  document.addEventListener("click", (event) => {
    if (event.target.closest && event.target.closest("[role=tab]")) {
      setTimeout(() => document.querySelectorAll("iframe.mail-frame").forEach(fitFrame), 0);
    }
  });

  window.storefront = { copyText, noteFormPost };
})();
