// A modal <dialog> that reports its closing once. Escape's cancel closes it at once; the dialog's
// own close event comes a task later, when the user may already have opened the next overlay,
// and the close on unmount is the owner's doing: neither calls back again.

export interface ModalDialog {
  /** Call on cancel, close and the dialog's own Close button. */
  close(): void;
  /** `{@attach}` it to the <dialog>: shows it modal, closes it on unmount. */
  attach(node: HTMLDialogElement): () => void;
}

export function modalDialog(onclose: () => void): ModalDialog {
  let closed = false;
  return {
    close() {
      if (closed) return;
      closed = true;
      onclose();
    },
    attach(node) {
      node.showModal();
      return () => {
        closed = true;
        node.close();
      };
    },
  };
}
