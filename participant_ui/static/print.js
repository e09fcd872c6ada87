// The printable pages' Print button (a strict Content-Security-Policy allows no inline handler).
document.getElementById("print-button").addEventListener("click", () => window.print());
