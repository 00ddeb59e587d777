//! Parts of a model element that few elements have, kept apart so that the many elements
//! without them do not pay for their room.

/// A group of rarely written parts, with the value that has none of them.
pub trait Scarce: PartialEq + Default + 'static {
    /// The group with none of its parts (what an element without them reads).
    fn none() -> &'static Self;
}

/// An element's rarely written parts, made only when it has any of them. Compared by what it
/// holds: parts made and all empty equal parts never made.
#[derive(Clone, Default)]
pub struct Rare<T>(Option<Box<T>>);

impl<T: Scarce> Rare<T> {
    /// The parts (empty ones when none were made).
    pub fn get(&self) -> &T {
        self.0.as_deref().unwrap_or_else(|| T::none())
    }

    /// The parts, to change them (made when there were none).
    pub fn get_mut(&mut self) -> &mut T {
        self.0.get_or_insert_with(Box::default)
    }

    /// The parts given: kept apart only when any of them is there.
    pub fn of(parts: T) -> Rare<T> {
        Rare((&parts != T::none()).then(|| Box::new(parts)))
    }
}

impl<T: Scarce> PartialEq for Rare<T> {
    fn eq(&self, other: &Rare<T>) -> bool {
        self.get() == other.get()
    }
}

impl<T: Scarce + std::fmt::Debug> std::fmt::Debug for Rare<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}
