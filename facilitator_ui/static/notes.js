// The chart notes page: "Copy the note" puts a note's plain text on the clipboard, for pasting into the record.
for (const button of document.querySelectorAll("button[data-copy]")) {
  button.addEventListener("click", async () => {
    const text = document.getElementById(button.dataset.copy).textContent;
    const status = document.getElementById(button.dataset.status);
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = "Copied: paste it into the patient's record.";
    } catch {
      status.textContent = "This browser did not allow copying: open the plain text below, select it and copy it.";
    }
  });
}
