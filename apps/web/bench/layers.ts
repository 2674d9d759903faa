import type { Page } from "playwright-core";

interface Layer {
  layerId: string;
  width: number;
  height: number;
  backendNodeId?: number;
}

/**
 * Counts the page's composited layers (Chromium re-layers the canvas's content on every pan
 * and zoom frame, and the cost grows with the layers) and prints the first `detail` of them
 * with why each exists and the element that starts it.
 */
export async function compositedLayers(page: Page, detail: number): Promise<number> {
  const session = await page.context().newCDPSession(page);
  try {
    const changed = new Promise<Layer[]>((resolve) => session.once("LayerTree.layerTreeDidChange", (event) => resolve((event.layers ?? []) as Layer[])));
    await session.send("LayerTree.enable");
    // The layer tree is reported on its next change: move the mouse to cause one.
    await page.mouse.move(10, 10);
    await page.mouse.move(400, 400);
    const layers = await changed;
    if (detail > 0) await session.send("DOM.getDocument", { depth: -1 });
    for (const layer of layers.slice(0, detail)) {
      const why = await session.send("LayerTree.compositingReasons", { layerId: layer.layerId });
      const node = layer.backendNodeId ? await session.send("DOM.describeNode", { backendNodeId: layer.backendNodeId }).catch(() => null) : null;
      const attributes = node?.node.attributes ?? [];
      const attribute = (name: string) => (attributes.includes(name) ? attributes[attributes.indexOf(name) + 1] : undefined);
      console.log(`  layer ${layer.width}×${layer.height} ${JSON.stringify(why.compositingReasonIds)} <${node?.node.localName ?? "?"} class="${attribute("class") ?? ""}" data-id="${attribute("data-id") ?? ""}">`);
    }
    return layers.length;
  } finally {
    await session.detach();
  }
}
