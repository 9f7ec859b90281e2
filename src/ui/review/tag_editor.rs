//! The tag editor: name, description (the labeling instructions, shown as a tooltip in the
//! tag strip), colour and hotkey of every tag; new tags; merging one tag into another.

use crate::store::{Tag, TagId};
use crate::ui::review::command::ReviewCommand;
use crate::ui::review::view::parse_colour;

struct TagDraft {
    id: TagId,
    /// The name on disk, for the row's buttons.
    saved_name: String,
    name: String,
    description: String,
    colour: [u8; 3],
    hotkey: Option<u8>,
}

pub struct TagEditor {
    drafts: Vec<TagDraft>,
    new_name: String,
    merge_from: Option<TagId>,
    merge_into: Option<TagId>,
}

impl TagEditor {
    pub fn new(tags: &[Tag]) -> Self {
        let mut editor = TagEditor { drafts: Vec::new(), new_name: String::new(), merge_from: None, merge_into: None };
        editor.reset(tags);
        editor
    }

    /// Starts over from the tags on disk (after any tag change was saved).
    pub fn reset(&mut self, tags: &[Tag]) {
        self.drafts = tags
            .iter()
            .map(|t| {
                let c = parse_colour(&t.colour);
                TagDraft {
                    id: t.id,
                    saved_name: t.name.clone(),
                    name: t.name.clone(),
                    description: t.description.clone(),
                    colour: [c.r(), c.g(), c.b()],
                    hotkey: t.hotkey,
                }
            })
            .collect();
        let exists = |id: Option<TagId>| id.filter(|id| tags.iter().any(|t| t.id == *id));
        self.merge_from = exists(self.merge_from);
        self.merge_into = exists(self.merge_into);
    }
}

fn key_text(key: Option<u8>) -> String {
    key.map(|k| k.to_string()).unwrap_or_else(|| "none".into())
}

/// The tag editor while open, over the project's `tags`; `editor` holds its drafts (this
/// view's own state). Closing it is a command.
pub(in crate::ui) fn show(ctx: &egui::Context, editor: Option<&mut TagEditor>, tags: &[Tag]) -> Vec<ReviewCommand> {
    let mut commands = Vec::new();
    let Some(state) = editor else { return commands };
    let mut open = true;
    egui::Window::new("Tag editor").open(&mut open).default_width(720.0).show(ctx, |ui| {
        ui.weak("The description is what labelers see when they hover a tag: write it as an instruction.");
        egui::Grid::new("tag rows").num_columns(5).striped(true).show(ui, |ui| {
            ui.strong("Name");
            ui.strong("Description");
            ui.strong("Colour");
            ui.strong("Key");
            ui.end_row();
            for draft in &mut state.drafts {
                let named = |response: egui::Response, what: &str| {
                    let label = format!("{what} of {}", draft.saved_name);
                    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, &label));
                };
                named(ui.add_sized([130.0, 20.0], egui::TextEdit::singleline(&mut draft.name)), "Name");
                // Wrapped over as many lines as it needs: a clipped instruction cannot be read.
                // (A grid cell remembers its last width: without a minimum, wrapped text would
                // keep the column narrow.)
                let description = ui.scope(|ui| {
                    ui.set_min_width(340.0);
                    ui.add(egui::TextEdit::multiline(&mut draft.description).desired_width(340.0).desired_rows(1))
                });
                named(description.inner, "Description");
                let colour_label = format!("Colour of {}", draft.saved_name);
                ui.color_edit_button_srgb(&mut draft.colour)
                    .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ColorWell, true, &colour_label));
                let key_label = format!("Key of {}", draft.saved_name);
                egui::ComboBox::from_id_salt(("hotkey", draft.id))
                    .selected_text(key_text(draft.hotkey))
                    .width(60.0)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut draft.hotkey, None, "none");
                        for k in 1..=9u8 {
                            ui.selectable_value(&mut draft.hotkey, Some(k), k.to_string());
                        }
                    })
                    .response
                    .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &key_label));
                if ui.button(format!("Save {}", draft.saved_name)).clicked() {
                    let [r, g, b] = draft.colour;
                    commands.push(ReviewCommand::EditTag {
                        tag: draft.id,
                        name: draft.name.trim().to_owned(),
                        description: draft.description.clone(),
                        colour: format!("#{r:02x}{g:02x}{b:02x}"),
                        hotkey: draft.hotkey,
                    });
                }
                ui.end_row();
            }
        });
        ui.weak("Giving a tag a key another tag has swaps their keys.");
        ui.separator();
        ui.horizontal(|ui| {
            let label = ui.label("New tag:");
            ui.add(egui::TextEdit::singleline(&mut state.new_name).desired_width(160.0)).labelled_by(label.id);
            let name = state.new_name.trim().to_owned();
            if ui.add_enabled(!name.is_empty(), egui::Button::new("Add tag")).clicked() {
                commands.push(ReviewCommand::CreateTag(name));
                state.new_name.clear();
            }
        });
        ui.separator();
        // Buttons rather than drop-downs: a short list, seen at a glance, one click each.
        let pick = |ui: &mut egui::Ui, title: &str, choice: &mut Option<TagId>| {
            ui.horizontal_wrapped(|ui| {
                ui.label(title);
                for t in tags {
                    let response = ui.selectable_label(*choice == Some(t.id), &t.name);
                    let label = format!("{title} {}", t.name);
                    let selected = *choice == Some(t.id);
                    response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, &label));
                    if response.clicked() {
                        *choice = Some(t.id);
                    }
                }
            });
        };
        pick(ui, "Merge", &mut state.merge_from);
        pick(ui, "into", &mut state.merge_into);
        let ready = matches!((state.merge_from, state.merge_into), (Some(a), Some(b)) if a != b);
        if ui.add_enabled(ready, egui::Button::new("Merge tags")).clicked()
            && let (Some(from), Some(into)) = (state.merge_from, state.merge_into)
        {
            commands.push(ReviewCommand::MergeTags { from, into });
            state.merge_from = None;
        }
        ui.weak("Merging moves every labeler's use of the first tag onto the second, then removes the first.");
    });
    if !open {
        commands.push(ReviewCommand::CloseTagEditor);
    }
    commands
}
