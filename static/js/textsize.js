// The A+ control on the teller's pages: larger text for those who need it (100, 125 or
// 150 %), remembered on this device.
//
// A classic script in <head>, so the chosen size is set before the page is first drawn;
// the button itself is wired up once the page is there. The layout is built in rem, so
// the whole page grows with the root font size (see base.css).

(function () {
  const SIZES = [100, 125, 150];
  const KEY = "sensemaker.textSize";
  const root = document.documentElement;

  function stored() {
    try {
      const size = Number(window.localStorage.getItem(KEY));
      return SIZES.includes(size) ? size : 100;
    } catch {
      return 100; // storage off: the default size
    }
  }

  function apply(size) {
    for (const each of SIZES) root.classList.toggle(`text-${each}`, each === size && size !== 100);
  }

  function label(button, size) {
    const name = button.querySelector(".text-size-name");
    if (name) name.textContent = ` ${button.dataset.label.replace("{size}", String(size))}`;
  }

  let current = stored();
  apply(current);

  document.addEventListener("DOMContentLoaded", () => {
    for (const button of document.querySelectorAll(".text-size")) {
      label(button, current);
      button.hidden = false;
      button.addEventListener("click", () => {
        current = SIZES[(SIZES.indexOf(current) + 1) % SIZES.length];
        try {
          window.localStorage.setItem(KEY, String(current));
        } catch {
          // Not remembered, but applied to this page all the same.
        }
        apply(current);
        label(button, current);
      });
    }
  });
})();
