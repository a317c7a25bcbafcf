// The media library's picker, opened by the rich-text editor's "Browse…" button: a click
// on a picture hands its address, alt text and caption back to the editor's dialog (the
// editor listens through CKEDITOR.tools.callFunction, its picker protocol) and closes.
document.addEventListener("click", (event) => {
  const button = event.target.closest(".media-picker__choose");
  if (!button) return;
  const root = document.querySelector(".media-picker");
  const callback = Number(root.dataset.callback);
  const editor = window.opener && window.opener.CKEDITOR && window.opener.CKEDITOR.tools;
  if (!editor || !callback) return;
  editor.callFunction(callback, button.dataset.url, {
    id: button.dataset.id,
    alternative_text: button.dataset.alt,
    caption: button.dataset.caption,
  });
  window.close();
});
