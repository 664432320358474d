/**
 * The Block Kit shapes this plugin sends to EmDash's admin (a subset of `@emdash-cms/blocks`,
 * typed here so the plugin needs no UI dependency). EmDash renders them on the plugin's admin
 * page and dashboard widget.
 */
export type MikaBlock =
  | { type: "header"; text: string; block_id?: string }
  | { type: "section"; text: string; block_id?: string }
  | { type: "context"; text: string; block_id?: string }
  | { type: "divider" }
  | { type: "fields"; fields: Array<{ label: string; value: string }>; block_id?: string }
  | {
      type: "stats";
      items: Array<{ label: string; value: string | number; description?: string }>;
      block_id?: string;
    }
  | {
      type: "table";
      columns: Array<{
        key: string;
        label: string;
        format?: "text" | "badge" | "relative_time" | "number" | "code";
      }>;
      rows: Array<Record<string, unknown>>;
      page_action_id: string;
      empty_text?: string;
      block_id?: string;
    }
  | {
      type: "banner";
      title?: string;
      description?: string;
      variant?: "default" | "alert" | "error";
      block_id?: string;
    }
  | {
      type: "actions";
      elements: Array<{
        type: "button";
        action_id: string;
        label: string;
        style?: "primary" | "danger" | "secondary";
      }>;
      block_id?: string;
    };

/** What the admin route answers: blocks to render and an optional toast. */
export interface MikaBlockResponse {
  blocks: MikaBlock[];
  toast?: { message: string; type: "success" | "error" | "info" };
}

/** An interaction EmDash's admin sends to the plugin's `admin` route. */
export type MikaBlockInteraction =
  | { type: "page_load"; page: string }
  | { type: "block_action"; action_id: string; value?: unknown }
  | { type: "form_submit"; action_id: string; values: Record<string, unknown> };
